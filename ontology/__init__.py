"""The ontology (kg.ttl), SHACL shapes and competency queries, shipped as package data."""

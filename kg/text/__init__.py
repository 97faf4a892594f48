"""Text layer: offset-keeping folding, tokens and sentences for Arabic and English."""

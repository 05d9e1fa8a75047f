"""Code shared by the test modules: test modules never import each other (tests/test_tiers.py)."""

"""karavan.ingest"""

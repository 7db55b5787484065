"""karavan.serve"""

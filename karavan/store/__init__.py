"""karavan.store"""

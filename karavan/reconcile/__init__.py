"""karavan.reconcile"""

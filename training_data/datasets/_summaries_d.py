"""placeholder"""
ITEMS = []

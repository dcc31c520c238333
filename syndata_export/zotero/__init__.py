"""Zotero sync: the catalogue into a (group) library collection, without duplicates or clobbered edits.

mapping (CSL → Zotero JSON, canonical content, the ownership marker), plan (desired vs remote;
pure), transport (Backoff/Retry-After, bounded retries), client (the only pyzotero import),
sync (plan → apply). See DESIGN.md "Zotero sync".
"""

"""Zotero sync: the catalogue into a (group) library collection, without duplicates or clobbered edits.

mapping (CSL → Zotero JSON, canonical content, the ownership marker), plan (desired vs remote;
pure), reverse (Zotero item → catalogue fields), client (the only pyzotero import, over the shared
``syndata_export.transport``), sync (plan → apply), pull and marking (Zotero → catalogue). See
DESIGN.md "Zotero sync".
"""

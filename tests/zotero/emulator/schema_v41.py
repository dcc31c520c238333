"""Zotero's item schema, version 41, for the item types the emulator serves; written by us from its facts.

Zotero publishes its schema as schema.json; the emulator does not read it. It serves and enforces
what version 41 of that file says about the item types a sync or a test writes: the eight
syndata_export/zotero/mapping.py maps CSL types to, plus note and attachment. Every other item type
is unknown to the emulator. tests/zotero/test_emulator_schema.py checks every entry here against
the official file when ../shared holds it (always under CI).
"""

VERSION = 41

# item type → its fields in the schema's order; "field:base" where the field stands for a base field
# (citationKey is Zotero 8's native citation key field)
FIELDS = {
    "journalArticle": """
        title abstractNote publicationTitle publisher place date volume issue section partNumber partTitle pages
        series seriesTitle seriesText journalAbbreviation DOI citationKey url accessDate PMID PMCID ISSN archive
        archiveLocation shortTitle language libraryCatalog callNumber rights extra
    """,
    "conferencePaper": """
        title abstractNote proceedingsTitle:publicationTitle conferenceName publisher place date eventPlace volume
        issue numberOfVolumes pages series seriesNumber DOI ISBN citationKey url accessDate ISSN archive
        archiveLocation shortTitle language libraryCatalog callNumber rights extra
    """,
    "preprint": """
        title abstractNote genre:type repository:publisher archiveID:number place date series seriesNumber DOI
        citationKey url accessDate archive archiveLocation shortTitle language libraryCatalog callNumber rights extra
    """,
    "book": """
        title abstractNote series seriesNumber volume numberOfVolumes edition date publisher place originalDate
        originalPublisher originalPlace format:medium numPages ISBN DOI citationKey url accessDate ISSN archive
        archiveLocation shortTitle language libraryCatalog callNumber rights extra
    """,
    "bookSection": """
        title abstractNote bookTitle:publicationTitle series seriesNumber volume numberOfVolumes edition date
        publisher place originalDate originalPublisher originalPlace format:medium pages ISBN DOI citationKey url
        accessDate ISSN archive archiveLocation shortTitle language libraryCatalog callNumber rights extra
    """,
    "thesis": """
        title abstractNote thesisType:type university:publisher place date series seriesNumber numPages DOI ISBN
        citationKey url accessDate ISSN archive archiveLocation shortTitle language libraryCatalog callNumber rights
        extra
    """,
    "report": """
        title abstractNote reportNumber:number reportType:type institution:publisher place date seriesTitle
        seriesNumber pages DOI ISBN citationKey url accessDate ISSN archive archiveLocation shortTitle language
        libraryCatalog callNumber rights extra
    """,
    "webpage": """
        title abstractNote websiteTitle:publicationTitle websiteType:type date publisher place DOI citationKey url
        accessDate shortTitle language rights extra
    """,
    "note": "",
    "attachment": "title accessDate url",
}

# item type → its creator types in the schema's order; the first is the type's primary creator
CREATOR_TYPES = {
    "journalArticle": "author contributor editor translator reviewedAuthor",
    "conferencePaper": "author contributor editor translator seriesEditor",
    "preprint": "author contributor editor translator reviewedAuthor",
    "book": "author contributor editor translator seriesEditor",
    "bookSection": "author contributor editor bookAuthor translator seriesEditor",
    "thesis": "author contributor",
    "report": "author editor contributor translator seriesEditor",
    "webpage": "author contributor translator",
    "note": "",
    "attachment": "",
}

# The schema's CSL tables (key "csl"), limited to these types, their fields and creator types.
# item type → CSL type
CSL_TYPES = {
    "journalArticle": "article-journal",
    "conferencePaper": "paper-conference",
    "preprint": "article",
    "book": "book",
    "bookSection": "chapter",
    "thesis": "thesis",
    "report": "report",
    "webpage": "webpage",
    "note": "document",
    "attachment": "document",
}
# CSL variable → the base fields it is read from, the first one present winning; in the schema's order
CSL_TEXT = {
    "abstract": "abstractNote",
    "archive": "archive",
    "archive_location": "archiveLocation",
    "call-number": "callNumber",
    "citation-key": "citationKey",
    "collection-number": "seriesNumber",
    "collection-title": "seriesTitle series",
    "container-title": "publicationTitle",
    "DOI": "DOI",
    "edition": "edition",
    "event-place": "eventPlace",
    "event-title": "conferenceName",
    "genre": "type",
    "ISBN": "ISBN",
    "ISSN": "ISSN",
    "issue": "issue",
    "journalAbbreviation": "journalAbbreviation",
    "language": "language",
    "license": "rights",
    "medium": "medium",
    "note": "extra",
    "number": "number",
    "number-of-pages": "numPages",
    "number-of-volumes": "numberOfVolumes",
    "original-publisher": "originalPublisher",
    "original-publisher-place": "originalPlace",
    "part-number": "partNumber",
    "part-title": "partTitle",
    "page": "pages",
    "PMID": "PMID",
    "PMCID": "PMCID",
    "publisher": "publisher",
    "publisher-place": "place",
    "section": "section",
    "shortTitle": "shortTitle",
    "source": "libraryCatalog",
    "title": "title",
    "title-short": "shortTitle",
    "URL": "url",
    "volume": "volume",
}
# CSL date variable → field
CSL_DATES = {"accessed": "accessDate", "issued": "date", "original-date": "originalDate"}
# creator type → CSL name variable
CSL_NAMES = {
    "author": "author",
    "contributor": "contributor",
    "editor": "editor",
    "translator": "translator",
    "reviewedAuthor": "reviewed-author",
    "seriesEditor": "collection-editor",
    "bookAuthor": "container-author",
}

# The en-US labels the schema endpoints return as "localized"
ITEM_TYPE_LABELS = {
    "journalArticle": "Journal Article",
    "conferencePaper": "Conference Paper",
    "preprint": "Preprint",
    "book": "Book",
    "bookSection": "Book Section",
    "thesis": "Thesis",
    "report": "Report",
    "webpage": "Web Page",
    "note": "Note",
    "attachment": "Attachment",
}
FIELD_LABELS = {
    "abstractNote": "Abstract",
    "accessDate": "Accessed",
    "archive": "Archive",
    "archiveID": "Archive ID",
    "archiveLocation": "Loc. in Archive",
    "bookTitle": "Book Title",
    "callNumber": "Call Number",
    "citationKey": "Citation Key",
    "conferenceName": "Conference Name",
    "date": "Date",
    "DOI": "DOI",
    "edition": "Edition",
    "eventPlace": "Event Place",
    "extra": "Extra",
    "format": "Format",
    "genre": "Genre",
    "institution": "Institution",
    "ISBN": "ISBN",
    "ISSN": "ISSN",
    "issue": "Issue",
    "journalAbbreviation": "Journal Abbr",
    "language": "Language",
    "libraryCatalog": "Library Catalog",
    "medium": "Medium",
    "number": "Number",
    "numberOfVolumes": "# of Volumes",
    "numPages": "# of Pages",
    "originalDate": "Original Date",
    "originalPlace": "Original Place",
    "originalPublisher": "Original Publisher",
    "pages": "Pages",
    "partNumber": "Part Number",
    "partTitle": "Part Title",
    "place": "Place",
    "PMCID": "PMCID",
    "PMID": "PMID",
    "proceedingsTitle": "Proceedings Title",
    "publicationTitle": "Publication",
    "publisher": "Publisher",
    "reportNumber": "Report Number",
    "reportType": "Report Type",
    "repository": "Repository",
    "rights": "License",
    "section": "Section",
    "series": "Series",
    "seriesNumber": "Series Number",
    "seriesText": "Series Text",
    "seriesTitle": "Series Title",
    "shortTitle": "Short Title",
    "thesisType": "Type",
    "title": "Title",
    "type": "Type",
    "university": "University",
    "url": "URL",
    "volume": "Volume",
    "websiteTitle": "Website Title",
    "websiteType": "Website Type",
}
CREATOR_TYPE_LABELS = {
    "author": "Author",
    "bookAuthor": "Book Author",
    "contributor": "Contributor",
    "editor": "Editor",
    "reviewedAuthor": "Reviewed Author",
    "seriesEditor": "Series Editor",
    "translator": "Translator",
}

"""syndata-export: one curated paper list, exported correctly everywhere researchers cite from.

Vocabulary, fixed once here for every module:

- *catalogue*: the parsed ``catalogue.yaml`` (title, sections, protected terms, records).
- *record*: one paper as written in the catalogue, with the position of every field.
- *csl_item*: one paper as a CSL-JSON object (a ``dict``), the hub every output is made from.
- *csl_items*: a list of csl_item, in catalogue order.
"""

__version__ = "0.1.0"

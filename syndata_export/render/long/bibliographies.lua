-- Several bibliographies from one pandoc process (syndata_export.render.long.many).
--
-- The input document sits in a folder with the parts 1.json, 2.json, ... beside it; its
-- metadata says how many (syndata-parts) and holds nocite and the style. Each part is cited
-- in a document of its own, through pandoc's own citeproc, exactly as `pandoc --citeproc
-- --bibliography=N.json` would; the results are joined with a marker line in between. One
-- process saves pandoc's start-up and its parsing of the style and locale for every part.

local MARKER = "<!-- syndata-export part -->"

function Pandoc(doc)
  local folder = pandoc.path.directory(PANDOC_STATE.input_files[1])
  local count = tonumber(pandoc.utils.stringify(doc.meta["syndata-parts"]))
  local blocks = pandoc.List()
  for n = 1, count do
    local meta = pandoc.Meta({ nocite = doc.meta.nocite, csl = doc.meta.csl })
    meta.bibliography = pandoc.path.join({ folder, n .. ".json" })
    local cited = pandoc.utils.citeproc(pandoc.Pandoc({}, meta))
    blocks:insert(pandoc.RawBlock("html", MARKER))
    blocks:extend(cited.blocks)
  end
  return pandoc.Pandoc(blocks, pandoc.Meta({}))
end

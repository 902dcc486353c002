"""Economy: GRDP growth against its target band, the four sectors, the
structure of the economy against its bands, GRDP per capita."""

from ui import theme

# What this page shows lives in data/views.toml under [economy].
theme.draw("economy")

"""govsites: 政府网站集约化平台 — one platform for a city's government website cluster."""

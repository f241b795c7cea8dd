"""Background jobs: long work of a tenant (exports, a month's evaluation of a big center, what-if over a province)
runs in a worker task of the process, off the request path, with progress the UI shows (``govhall.jobs.runner``)."""

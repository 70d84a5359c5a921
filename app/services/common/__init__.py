"""Building blocks every domain may use and that know no domain: the clock (the only "now", Paris time), month
arithmetic, row locks, text cleaning, signed links, PDF rendering, Markdown, uploads and the mail outbox."""

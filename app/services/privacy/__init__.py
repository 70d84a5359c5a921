"""A person's rights over their data (GDPR art. 15 to 20): the export of everything the portal holds about them,
as machine-readable data with the documents as issued, asked from Mes paramètres and prepared by the job queue.
It reads every other domain's rows and changes none of them."""

"""The service terms and the Student Rules as versioned documents: publishing, the version in force, the PDF."""

"""Student Success: contact requests, written complaints and their answers."""

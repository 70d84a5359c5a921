"""Learning itself: reading chapters and progress, quizzes, peer-reviewed assignments, course completion,
certificates and the Premium Plus diploma."""

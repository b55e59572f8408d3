"""One cell's run: the job handed to its process, and the session that runs it there."""

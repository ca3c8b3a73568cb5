/* the console (issue 12) */

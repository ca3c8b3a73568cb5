/*
 * cli.h: sankaku-desk as a command-line client of a running desk, and
 * the export of incidents as JSON lines (for archiving).
 */
#ifndef SANKAKU_CLI_H
#define SANKAKU_CLI_H

#include <stdio.h>

#include "settings.h"

int cli_main(int argc, char **argv);
/* Every stored incident, one JSON object per line; exit status. */
int cli_export(const struct settings *, FILE *);

#endif

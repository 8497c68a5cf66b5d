/* cmd_show.c: being written */
#include "cli.h"
int cmd_show(int argc, char **argv)
{
	(void)argc; (void)argv;
	cli_error(NULL, "show: not implemented yet");
	return CS_EXIT_INPUT;
}

/* cmd_verify.c: being written */
#include "cli.h"
int cmd_verify(int argc, char **argv)
{
	(void)argc; (void)argv;
	cli_error(NULL, "verify: not implemented yet");
	return CS_EXIT_INPUT;
}

/* load.c: being written */
typedef int cs_load_placeholder_;

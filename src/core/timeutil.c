/* timeutil.c: being written */
typedef int cs_timeutil_placeholder_;

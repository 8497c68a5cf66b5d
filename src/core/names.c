/* names.c: being written */
typedef int cs_names_placeholder_;

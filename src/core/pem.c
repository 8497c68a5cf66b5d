/* pem.c: being written */
typedef int cs_pem_placeholder_;

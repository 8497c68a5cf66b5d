/* model.c: being written */
typedef int cs_model_placeholder_;

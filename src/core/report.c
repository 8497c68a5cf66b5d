/* report.c: being written */
typedef int cs_report_placeholder_;

#ifndef _INCLUDED_input_0_run_regularly_codeobject
#define _INCLUDED_input_0_run_regularly_codeobject

void _run_input_0_run_regularly_codeobject();


#endif

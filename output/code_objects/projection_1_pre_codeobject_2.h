#ifndef _INCLUDED_projection_1_pre_codeobject_2
#define _INCLUDED_projection_1_pre_codeobject_2

void _run_projection_1_pre_codeobject_2();

void _debugmsg_projection_1_pre_codeobject_2();

#endif

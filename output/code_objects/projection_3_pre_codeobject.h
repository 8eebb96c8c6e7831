#ifndef _INCLUDED_projection_3_pre_codeobject
#define _INCLUDED_projection_3_pre_codeobject

void _run_projection_3_pre_codeobject();

void _debugmsg_projection_3_pre_codeobject();

#endif

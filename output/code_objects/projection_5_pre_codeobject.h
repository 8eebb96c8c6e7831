#ifndef _INCLUDED_projection_5_pre_codeobject
#define _INCLUDED_projection_5_pre_codeobject

void _run_projection_5_pre_codeobject();

void _debugmsg_projection_5_pre_codeobject();

#endif

#ifndef _INCLUDED_projection_6_pre_codeobject
#define _INCLUDED_projection_6_pre_codeobject

void _run_projection_6_pre_codeobject();

void _debugmsg_projection_6_pre_codeobject();

#endif

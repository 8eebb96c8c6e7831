#ifndef _INCLUDED_spikes_3_codeobject
#define _INCLUDED_spikes_3_codeobject

void _run_spikes_3_codeobject();

void _debugmsg_spikes_3_codeobject();

#endif

#ifndef _INCLUDED_spikes_1_codeobject
#define _INCLUDED_spikes_1_codeobject

void _run_spikes_1_codeobject();

void _debugmsg_spikes_1_codeobject();

#endif

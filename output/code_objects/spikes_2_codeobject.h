#ifndef _INCLUDED_spikes_2_codeobject
#define _INCLUDED_spikes_2_codeobject

void _run_spikes_2_codeobject();

void _debugmsg_spikes_2_codeobject();

#endif

#ifndef _INCLUDED_spikes_4_codeobject
#define _INCLUDED_spikes_4_codeobject

void _run_spikes_4_codeobject();

void _debugmsg_spikes_4_codeobject();

#endif

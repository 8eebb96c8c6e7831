#ifndef _INCLUDED_projection_7_pre_push_spikes
#define _INCLUDED_projection_7_pre_push_spikes

void _run_projection_7_pre_push_spikes();


#endif

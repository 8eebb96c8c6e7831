#ifndef _INCLUDED_projection_2_pre_push_spikes
#define _INCLUDED_projection_2_pre_push_spikes

void _run_projection_2_pre_push_spikes();


#endif

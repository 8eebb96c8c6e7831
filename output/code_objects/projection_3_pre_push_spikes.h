#ifndef _INCLUDED_projection_3_pre_push_spikes
#define _INCLUDED_projection_3_pre_push_spikes

void _run_projection_3_pre_push_spikes();


#endif

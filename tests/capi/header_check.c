/* Compiled by ctest as C99 and C11 with -Wall -Wextra -Werror -pedantic: the public header must
 * stay plain C. Touches every type and takes the address of every function so a declaration
 * that only a C++ compiler accepts fails here. */
#include "ivrmedia/ivrmedia.h"

typedef void (*any_fn)(void);

int header_check(void);
int header_check(void) {
  ivrm_g711_config cfg;
  ivrm_g711* g711 = NULL;
  ivrm_status status = IVRM_OK;
  ivrm_simd simd = IVRM_SIMD_AUTO;
  ivrm_g711_law law = IVRM_G711_ULAW;
  const any_fn fns[] = {(any_fn)&ivrm_version,
                        (any_fn)&ivrm_version_number,
                        (any_fn)&ivrm_strerror,
                        (any_fn)&ivrm_simd_best,
                        (any_fn)&ivrm_simd_supported,
                        (any_fn)&ivrm_simd_name,
                        (any_fn)&ivrm_g711_config_init_sized,
                        (any_fn)&ivrm_g711_size,
                        (any_fn)&ivrm_g711_create_in,
                        (any_fn)&ivrm_g711_create,
                        (any_fn)&ivrm_g711_destroy,
                        (any_fn)&ivrm_g711_get_law,
                        (any_fn)&ivrm_g711_get_simd,
                        (any_fn)&ivrm_g711_encode,
                        (any_fn)&ivrm_g711_encode_float,
                        (any_fn)&ivrm_g711_decode,
                        (any_fn)&ivrm_g711_decode_float,
                        (any_fn)&ivrm_g711_transcode,
                        (any_fn)&ivrm_dtmf_detector_config_init_sized,
                        (any_fn)&ivrm_dtmf_detector_size,
                        (any_fn)&ivrm_dtmf_detector_create_in,
                        (any_fn)&ivrm_dtmf_detector_create,
                        (any_fn)&ivrm_dtmf_detector_destroy,
                        (any_fn)&ivrm_dtmf_detector_reset,
                        (any_fn)&ivrm_dtmf_detector_process,
                        (any_fn)&ivrm_dtmf_detector_process_float,
                        (any_fn)&ivrm_dtmf_detector_gap,
                        (any_fn)&ivrm_dtmf_detector_read_events,
                        (any_fn)&ivrm_dtmf_detector_get_stats,
                        (any_fn)&ivrm_dtmf_detector_latency,
                        (any_fn)&ivrm_dtmf_generator_config_init_sized,
                        (any_fn)&ivrm_dtmf_generator_size,
                        (any_fn)&ivrm_dtmf_generator_create_in,
                        (any_fn)&ivrm_dtmf_generator_create,
                        (any_fn)&ivrm_dtmf_generator_destroy,
                        (any_fn)&ivrm_dtmf_generator_reset,
                        (any_fn)&ivrm_dtmf_generator_queue,
                        (any_fn)&ivrm_dtmf_generator_generate,
                        (any_fn)&ivrm_dtmf_generator_generate_float,
                        (any_fn)&ivrm_dtmf_masker_config_init_sized,
                        (any_fn)&ivrm_dtmf_masker_create,
                        (any_fn)&ivrm_dtmf_masker_destroy,
                        (any_fn)&ivrm_dtmf_masker_reset,
                        (any_fn)&ivrm_dtmf_masker_process,
                        (any_fn)&ivrm_dtmf_masker_process_float,
                        (any_fn)&ivrm_dtmf_masker_latency,
                        (any_fn)&ivrm_dtmf_masker_read_events,
                        (any_fn)&ivrm_dtmf_batch_create,
                        (any_fn)&ivrm_dtmf_batch_destroy,
                        (any_fn)&ivrm_dtmf_batch_process,
                        (any_fn)&ivrm_dtmf_batch_process_float,
                        (any_fn)&ivrm_dtmf_batch_read_events,
                        (any_fn)&ivrm_dtmf_batch_gap,
                        (any_fn)&ivrm_dtmf_batch_reset_channel,
                        (any_fn)&ivrm_dtmf_detector_set_param,
                        (any_fn)&ivrm_dtmf_detector_get_param,
                        (any_fn)&ivrm_dtmf_param_bounds,
                        (any_fn)&ivrm_codec_static_payload,
                        (any_fn)&ivrm_encoder_config_init_sized,
                        (any_fn)&ivrm_encoder_create,
                        (any_fn)&ivrm_encoder_destroy,
                        (any_fn)&ivrm_encoder_reset,
                        (any_fn)&ivrm_encoder_info,
                        (any_fn)&ivrm_encoder_encode,
                        (any_fn)&ivrm_encoder_encode_float,
                        (any_fn)&ivrm_decoder_config_init_sized,
                        (any_fn)&ivrm_decoder_create,
                        (any_fn)&ivrm_decoder_destroy,
                        (any_fn)&ivrm_decoder_reset,
                        (any_fn)&ivrm_decoder_info,
                        (any_fn)&ivrm_decoder_samples,
                        (any_fn)&ivrm_decoder_decode,
                        (any_fn)&ivrm_decoder_decode_float,
                        (any_fn)&ivrm_decoder_conceal,
                        (any_fn)&ivrm_decoder_conceal_float,
                        (any_fn)&ivrm_decoder_decode_fec,
                        (any_fn)&ivrm_decoder_decode_fec_float,
                        (any_fn)&ivrm_decoder_has_fec,
                        (any_fn)&ivrm_resampler_rate_supported,
                        (any_fn)&ivrm_resampler_config_init_sized,
                        (any_fn)&ivrm_resampler_create,
                        (any_fn)&ivrm_resampler_destroy,
                        (any_fn)&ivrm_resampler_reset,
                        (any_fn)&ivrm_resampler_process,
                        (any_fn)&ivrm_resampler_process_float,
                        (any_fn)&ivrm_resampler_max_output_frames,
                        (any_fn)&ivrm_resampler_latency,
                        (any_fn)&ivrm_transcoder_config_init_sized,
                        (any_fn)&ivrm_transcoder_create,
                        (any_fn)&ivrm_transcoder_destroy,
                        (any_fn)&ivrm_transcoder_reset,
                        (any_fn)&ivrm_transcoder_push,
                        (any_fn)&ivrm_transcoder_push_loss,
                        (any_fn)&ivrm_transcoder_push_fec,
                        (any_fn)&ivrm_transcoder_pull,
                        (any_fn)&ivrm_transcoder_frames_ready,
                        (any_fn)&ivrm_transcoder_input_info,
                        (any_fn)&ivrm_transcoder_output_info,
                        (any_fn)&ivrm_transcoder_latency,
                        (any_fn)&ivrm_transcoder_get_stats,
                        (any_fn)&ivrm_rtp_parse,
                        (any_fn)&ivrm_rtp_parse_error_name,
                        (any_fn)&ivrm_rtp_find_extension,
                        (any_fn)&ivrm_rtp_builder_config_init_sized,
                        (any_fn)&ivrm_rtp_builder_config_init_random_sized,
                        (any_fn)&ivrm_rtp_builder_size,
                        (any_fn)&ivrm_rtp_builder_create_in,
                        (any_fn)&ivrm_rtp_builder_create,
                        (any_fn)&ivrm_rtp_builder_destroy,
                        (any_fn)&ivrm_rtp_builder_reset,
                        (any_fn)&ivrm_rtp_builder_build,
                        (any_fn)&ivrm_rtp_builder_build_at,
                        (any_fn)&ivrm_rtp_builder_packet_size,
                        (any_fn)&ivrm_rtp_builder_skip,
                        (any_fn)&ivrm_rtp_builder_set_csrcs,
                        (any_fn)&ivrm_rtp_builder_next_sequence,
                        (any_fn)&ivrm_rtp_builder_next_timestamp,
                        (any_fn)&ivrm_rtp_builder_get_stats,
                        (any_fn)&ivrm_rtp_event_char,
                        (any_fn)&ivrm_rtp_event_code,
                        (any_fn)&ivrm_rtp_event_receiver_config_init_sized,
                        (any_fn)&ivrm_rtp_event_receiver_create,
                        (any_fn)&ivrm_rtp_event_receiver_destroy,
                        (any_fn)&ivrm_rtp_event_receiver_reset,
                        (any_fn)&ivrm_rtp_event_receiver_push,
                        (any_fn)&ivrm_rtp_event_receiver_poll,
                        (any_fn)&ivrm_rtp_event_receiver_finish,
                        (any_fn)&ivrm_rtp_event_receiver_read_events,
                        (any_fn)&ivrm_rtp_event_receiver_get_stats,
                        (any_fn)&ivrm_rtp_event_sender_config_init_sized,
                        (any_fn)&ivrm_rtp_event_sender_size,
                        (any_fn)&ivrm_rtp_event_sender_create_in,
                        (any_fn)&ivrm_rtp_event_sender_create,
                        (any_fn)&ivrm_rtp_event_sender_destroy,
                        (any_fn)&ivrm_rtp_event_sender_reset,
                        (any_fn)&ivrm_rtp_event_sender_begin,
                        (any_fn)&ivrm_rtp_event_sender_end,
                        (any_fn)&ivrm_rtp_event_sender_next,
                        (any_fn)&ivrm_rtp_event_sender_active,
                        (any_fn)&ivrm_jitter_config_init_sized,
                        (any_fn)&ivrm_jitter_create,
                        (any_fn)&ivrm_jitter_destroy,
                        (any_fn)&ivrm_jitter_reset,
                        (any_fn)&ivrm_jitter_push,
                        (any_fn)&ivrm_jitter_pull,
                        (any_fn)&ivrm_jitter_pull_float,
                        (any_fn)&ivrm_jitter_read_events,
                        (any_fn)&ivrm_jitter_get_stats,
                        (any_fn)&ivrm_jitter_get_usage,
                        (any_fn)&ivrm_jitter_frame_samples,
                        (any_fn)&ivrm_jitter_frame_kind_name,
                        (any_fn)&ivrm_prompt_load,
                        (any_fn)&ivrm_prompt_from_float,
                        (any_fn)&ivrm_prompt_from_int16,
                        (any_fn)&ivrm_call_progress,
                        (any_fn)&ivrm_prompt_tone,
                        (any_fn)&ivrm_prompt_dtmf,
                        (any_fn)&ivrm_prompt_silence,
                        (any_fn)&ivrm_prompt_comfort_noise,
                        (any_fn)&ivrm_prompt_retain,
                        (any_fn)&ivrm_prompt_release,
                        (any_fn)&ivrm_prompt_get_info,
                        (any_fn)&ivrm_prompt_cache_config_init_sized,
                        (any_fn)&ivrm_prompt_cache_create,
                        (any_fn)&ivrm_prompt_cache_destroy,
                        (any_fn)&ivrm_prompt_cache_get,
                        (any_fn)&ivrm_prompt_cache_put,
                        (any_fn)&ivrm_prompt_cache_size,
                        (any_fn)&ivrm_prompt_cache_memory_bytes,
                        (any_fn)&ivrm_prompt_cache_evict_unused,
                        (any_fn)&ivrm_player_config_init_sized,
                        (any_fn)&ivrm_play_options_init_sized,
                        (any_fn)&ivrm_player_create,
                        (any_fn)&ivrm_player_destroy,
                        (any_fn)&ivrm_player_play,
                        (any_fn)&ivrm_player_queue,
                        (any_fn)&ivrm_player_stop,
                        (any_fn)&ivrm_player_pause,
                        (any_fn)&ivrm_player_resume,
                        (any_fn)&ivrm_player_seek,
                        (any_fn)&ivrm_player_set_gain_db,
                        (any_fn)&ivrm_player_barge_in,
                        (any_fn)&ivrm_player_render_float,
                        (any_fn)&ivrm_player_render_int16,
                        (any_fn)&ivrm_player_render_add_float,
                        (any_fn)&ivrm_player_read_events,
                        (any_fn)&ivrm_player_get_state,
                        (any_fn)&ivrm_player_collect,
                        (any_fn)&ivrm_player_reset,
                        (any_fn)&ivrm_barge_in_config_init_sized,
                        (any_fn)&ivrm_barge_in_create,
                        (any_fn)&ivrm_barge_in_destroy,
                        (any_fn)&ivrm_barge_in_process_float,
                        (any_fn)&ivrm_barge_in_process_int16,
                        (any_fn)&ivrm_barge_in_key_down,
                        (any_fn)&ivrm_barge_in_speaking,
                        (any_fn)&ivrm_barge_in_noise_floor_dbfs,
                        (any_fn)&ivrm_barge_in_reset,
                        (any_fn)&ivrm_mixer_config_init_sized,
                        (any_fn)&ivrm_mixer_create,
                        (any_fn)&ivrm_mixer_destroy,
                        (any_fn)&ivrm_mixer_reset,
                        (any_fn)&ivrm_mixer_process_float,
                        (any_fn)&ivrm_mixer_process_int16,
                        (any_fn)&ivrm_mixer_set_foreground_active,
                        (any_fn)&ivrm_mixer_get_stats,
                        (any_fn)&ivrm_conference_config_init_sized,
                        (any_fn)&ivrm_conference_create,
                        (any_fn)&ivrm_conference_destroy,
                        (any_fn)&ivrm_conference_process_float,
                        (any_fn)&ivrm_conference_process_int16,
                        (any_fn)&ivrm_conference_set_talk,
                        (any_fn)&ivrm_conference_set_gain_db,
                        (any_fn)&ivrm_conference_reset_leg,
                        (any_fn)&ivrm_conference_reset,
                        (any_fn)&ivrm_conference_latency_samples,
                        (any_fn)&ivrm_conference_get_leg_stats};
  ivrm_encoder_config ecfg;
  ivrm_decoder_config dccfg;
  ivrm_codec_info info;
  ivrm_encoder* enc = NULL;
  ivrm_decoder* dec = NULL;
  ivrm_opus_application app = IVRM_OPUS_APPLICATION_VOIP;
  ivrm_opus_bandwidth bw = IVRM_OPUS_BANDWIDTH_FULL;
  ivrm_resampler_config rcfg;
  ivrm_resampler* rs = NULL;
  ivrm_resample_quality quality = IVRM_RESAMPLE_STANDARD;
  ivrm_transcoder_config tcfg;
  ivrm_transcoder_stats tstats;
  ivrm_transcoder* tr = NULL;
  ivrm_rtp_packet packet;
  ivrm_rtp_parse_error why = IVRM_RTP_PARSE_OK;
  ivrm_rtp_builder_config bcfg;
  ivrm_rtp_extension ext;
  ivrm_rtp_builder_stats bstats;
  ivrm_rtp_builder* builder = NULL;
  ivrm_rtp_event rtp_ev;
  ivrm_rtp_event_phase phase = IVRM_RTP_EVENT_BEGIN;
  ivrm_rtp_event_end_cause cause = IVRM_RTP_EVENT_CAUSE_NONE;
  ivrm_rtp_event_receiver_config ercfg;
  ivrm_rtp_event_receiver_stats erstats;
  ivrm_rtp_event_receiver* receiver = NULL;
  ivrm_rtp_event_sender_config escfg;
  ivrm_rtp_event_packet epacket;
  ivrm_rtp_event_sender* sender = NULL;
  ivrm_jitter_config jcfg;
  ivrm_jitter_payload jpayload;
  ivrm_jitter_frame_info jinfo;
  ivrm_jitter_stats jstats;
  ivrm_jitter_usage jusage;
  ivrm_jitter* jb = NULL;
  ivrm_prompt* prompt = NULL;
  ivrm_prompt_info pinfo;
  ivrm_tone_spec tone;
  ivrm_call_progress_tone cpt = IVRM_RINGBACK_EU;
  ivrm_prompt_cache_config pccfg;
  ivrm_prompt_cache* pcache = NULL;
  ivrm_stop_reason stop = IVRM_STOP_NONE;
  ivrm_player_event_type pet = IVRM_PLAYER_STARTED;
  ivrm_player_config plcfg;
  ivrm_play_options popts;
  ivrm_player_event pevent;
  ivrm_player_state pstate;
  ivrm_player* player = NULL;
  ivrm_barge_in_config bicfg;
  ivrm_barge_in_event bievent;
  ivrm_barge_in* barge = NULL;
  ivrm_mixer_config mxcfg;
  ivrm_mixer_stats mxstats;
  ivrm_mixer* mixer = NULL;
  ivrm_talk talk = IVRM_TALK_EVERYONE;
  ivrm_conference_config cfcfg;
  ivrm_conference* conf = NULL;
  ivrm_jitter_delay_mode mode = IVRM_JITTER_ADAPTIVE;
  ivrm_jitter_frame_kind kind = IVRM_JITTER_FRAME_NORMAL;
  ivrm_dtmf_masker_config mcfg;
  (void)mcfg;
  ivrm_dtmf_detector_config dcfg;
  ivrm_dtmf_generator_config gcfg;
  ivrm_dtmf_event ev;
  ivrm_dtmf_detector_stats stats;
  ivrm_dtmf_detector* det = NULL;
  ivrm_dtmf_generator* gen = NULL;
  (void)dcfg;
  (void)gcfg;
  (void)ev;
  (void)stats;
  (void)det;
  (void)gen;
  (void)cfg;
  (void)g711;
  (void)ecfg;
  (void)dccfg;
  (void)info;
  (void)enc;
  (void)dec;
  (void)fns;
  (void)rcfg;
  (void)rs;
  (void)tcfg;
  (void)tstats;
  (void)tr;
  (void)packet;
  (void)bcfg;
  (void)ext;
  (void)bstats;
  (void)builder;
  (void)rtp_ev;
  (void)ercfg;
  (void)erstats;
  (void)receiver;
  (void)escfg;
  (void)epacket;
  (void)sender;
  (void)jcfg;
  (void)jpayload;
  (void)jinfo;
  (void)jstats;
  (void)jusage;
  (void)jb;
  (void)prompt;
  (void)pinfo;
  (void)tone;
  (void)pccfg;
  (void)pcache;
  (void)plcfg;
  (void)popts;
  (void)pevent;
  (void)pstate;
  (void)player;
  (void)bicfg;
  (void)bievent;
  (void)barge;
  (void)mxcfg;
  (void)mxstats;
  (void)mixer;
  (void)cfcfg;
  (void)conf;
  return (int)why + (int)phase + (int)cause + (int)mode + (int)kind + (int)cpt + (int)stop +
         (int)pet + (int)talk + IVRM_TONE_MAX_CADENCE + IVRM_MIXER_MAX_SOURCES +
         IVRM_RTP_MAX_EXTENSIONS + IVRM_JITTER_MAX_PAYLOADS + IVRM_JITTER_FRAME_KINDS +
         (int)status + (int)simd + (int)law + (int)app + (int)bw + (int)quality +
         IVRM_VERSION_NUMBER + (int)IVRM_ALIGNMENT;
}

//! Components. Each reads the model through `spanloupe-core` and keeps its
//! own logic thin: formatting and layout math live in the core crate.

pub mod chat;
pub mod compare;
pub mod connect;
pub mod conversation;
pub mod copy;
pub mod export_menu;
pub mod inspector;
pub mod live_list;
pub mod load_error;
pub mod loading;
pub mod prices;
pub mod service_colors;
pub mod sessions;
pub mod shortcuts;
pub mod show_all;
pub mod start;
pub mod trace_header;
pub mod trace_list;
pub mod warnings;
pub mod waterfall;

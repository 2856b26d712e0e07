//! Record and replay: see the module docs.

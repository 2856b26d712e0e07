//! Typed mocks: see the module docs.

// Format families beyond SQLite register themselves here (detectors, file analysers, case-level results).
// Importing this module once (hosts do) activates them.
import './formats/ese/plugin';

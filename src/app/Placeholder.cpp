// Filled by the issues that build this layer.

// GUI layer

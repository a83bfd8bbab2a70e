# lib/alert: incidents become alerts.
lib_libwachter_a_SOURCES += lib/alert/alert.c lib/alert/alert.h

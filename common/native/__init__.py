"""The operating system, as shareimg calls it: libc and System V declared once, process facts, copies."""

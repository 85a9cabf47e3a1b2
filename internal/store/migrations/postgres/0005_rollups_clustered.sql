-- SQLite's version 5 clusters the roll-ups by their key; PostgreSQL's heap
-- tables have no such form, and its planner reads the key index as it is.
SELECT 1;

package org.apache.kafka.clients.consumer;
public class ConsumerGroupMetadata { public int generationId() { return -1; } }

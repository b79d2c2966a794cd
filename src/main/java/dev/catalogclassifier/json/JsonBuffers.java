package dev.catalogclassifier.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Jackson's working buffers shared by every thread, not kept per thread. Jackson keeps them in a thread-local by
 * default, which suits a pool of long-lived threads; but each item here runs on a virtual thread of its own, which
 * writes a request, reads an answer and writes its result once and ends, so every read and write allocated fresh
 * buffers of several kilobytes (Jackson's generator and parser setup was a sixth of its time in the request path).
 */
@Singleton
public class JsonBuffers implements ObjectMapperCustomizer {

    /** The pool every JSON factory of the service takes its buffers from. */
    public static final RecyclerPool<BufferRecycler> POOL = JsonRecyclerPools.sharedConcurrentDequePool();

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setRecyclerPool(POOL);
    }
}
